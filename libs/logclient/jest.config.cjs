module.exports = {
  displayName: 'logclient',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: true // interface only until its issue lands: set false with the first test,
};
