import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { startKeyboard } from './app/keyboard';
import { startSync } from './app/start-sync';
import { startUrlRouter } from './app/url-router';

startSync();
startUrlRouter();
startKeyboard();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
