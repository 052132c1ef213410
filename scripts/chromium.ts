/**
 * How every test and benchmark here starts Chromium (RECIPES.md): Debian's build, no sandbox
 * (root), no background networking (the network is closed; Chromium would keep calling Google
 * hosts), and loopback candidates allowed for WebRTC. Never add our own --disable-features: it
 * would replace Playwright's whole list.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
];

export const chromiumLaunchOptions = () => ({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS],
});
