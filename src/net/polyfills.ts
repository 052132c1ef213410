/**
 * simple-peer@9 reaches for Node's `process` (via readable-stream) at evaluation time; Vite does
 * not provide it. This module must be imported before simple-peer is evaluated (ES modules
 * evaluate in import order, so importing it first in peer-connector.ts is enough).
 * `global` is mapped to globalThis by vite.config's `define`.
 */
import process from 'process';

const g = globalThis as { process?: unknown };
g.process ??= process;
