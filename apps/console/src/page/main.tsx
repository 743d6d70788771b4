import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app')!;
// the static "Loading…" line is for a browser without scripts; the app replaces it
root.textContent = '';
render(<App />, root);
