module.exports = {
  displayName: 'runtimes',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
