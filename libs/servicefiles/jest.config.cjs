module.exports = {
  displayName: 'servicefiles',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
