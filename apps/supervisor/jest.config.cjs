module.exports = {
  displayName: 'supervisor',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
