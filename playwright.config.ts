import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';

/**
 * End-to-end tests drive the built app (dist/) served by our own signaling server in real
 * Debian Chromium. Run inside a loopback-only network namespace (scripts/test.sh does): WebRTC
 * then connects only with camera/mic permission granted and --allow-loopback-in-peer-connection
 * (RECIPES.md); the fixture grants the permission per context.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // Two cores: tests run one at a time; each one already runs several browser pages.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
});
