import { render } from 'preact';
import { App } from './App.js';
// In this order (later rules win ties); Vite bundles them into one stylesheet.
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/tables.css';
import './styles/cards.css';
import './styles/dashboard.css';
import './styles/dialogs.css';
import './styles/sign-in.css';

render(<App />, document.getElementById('app')!);
