module.exports = {
  displayName: 'bridge',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
