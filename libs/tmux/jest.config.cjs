module.exports = {
  displayName: 'tmux',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  passWithNoTests: false,
};
