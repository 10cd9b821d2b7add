import { render } from 'preact';
import { PopupApp } from '../../src/popup/PopupApp';
import './popup.css';

const app = document.getElementById('app');
if (app) render(<PopupApp />, app);
