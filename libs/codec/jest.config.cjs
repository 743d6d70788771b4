module.exports = {
  displayName: 'codec',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
