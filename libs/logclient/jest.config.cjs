module.exports = {
  displayName: 'logclient',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
