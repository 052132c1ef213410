/**
 * Service worker registration and the update flow. A new version installs in the background and
 * waits; the app shows a banner and, on the user's word, tells the waiting worker to take over
 * and reloads once it controls the page. Dev builds have no service worker.
 */
import { Workbox } from 'workbox-window';

export function registerServiceWorker(onUpdateReady: (apply: () => void) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    onUpdateReady(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  wb.register().catch((e: unknown) => console.error('[katya-mesh] service worker', e));
}
