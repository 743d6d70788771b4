module.exports = {
  displayName: 'profiles',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
