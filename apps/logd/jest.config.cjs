module.exports = {
  displayName: 'logd',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
