module.exports = {
  displayName: 'tokens',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
