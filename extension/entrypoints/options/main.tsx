import { render } from 'preact';
import { OptionsApp } from './OptionsApp';
import './options.css';

const app = document.getElementById('app');
if (app) render(<OptionsApp />, app);
