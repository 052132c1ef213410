/**
 * The app's layout and its stable hooks (DESIGN.md automation contract). Owns no data: main.ts
 * feeds it state and receives the user's intents through callbacks.
 */
import type {
  ChatMessage,
  Conversation,
  PeerEntry,
  SpamVerdict,
  Strictness,
} from '../../workers/node/api.ts';
import type { SignalingState } from '../net/signaling-client.ts';
import { displayName, el } from './dom.ts';
import { createMessageListView } from './message-list-view.ts';
import { createPeerListView } from './peer-list-view.ts';

export interface AppViewCallbacks {
  openConversation(c: Conversation): void;
  send(text: string): Promise<void>;
  toggleDiagnostics(): void;
  feedback(m: ChatMessage, verdict: SpamVerdict): void;
  retry(m: ChatMessage): void;
  setStrictness(s: Strictness): void;
}

export function createAppView(root: HTMLElement, cb: AppViewCallbacks) {
  let selfId = '';
  const selfIdEl = el('code', { 'data-testid': 'self-id', class: 'self-id', text: '…' });
  const netStatus = el('span', {
    'data-testid': 'net-status',
    'data-signaling': 'disconnected',
    class: 'net-status',
    text: 'offline',
  });
  const roomLabel = el('span', { class: 'room-label' });
  const diagButton = el('button', {
    type: 'button',
    class: 'ghost',
    'data-testid': 'toggle-diagnostics',
    text: 'Diagnostics',
  });
  diagButton.addEventListener('click', () => cb.toggleDiagnostics());

  const roomButton = el('button', {
    type: 'button',
    class: 'conversation open',
    'data-testid': 'conversation-room',
  });
  roomButton.addEventListener('click', () => cb.openConversation('room'));
  const peerList = createPeerListView((id) => cb.openConversation(`dm:${id}`));
  const messages = createMessageListView({
    selfId: () => selfId,
    feedback: cb.feedback,
    retry: cb.retry,
  });
  const screening = el(
    'select',
    {
      'data-testid': 'screening',
      class: 'screening',
      'aria-label': 'Spam screening',
      title: 'Spam screening',
    },
    ...(['off', 'low', 'medium', 'high'] as const).map((s) =>
      el('option', { value: s, text: s === 'off' ? 'Screening off' : `Screening: ${s}` }),
    ),
  );
  screening.addEventListener('change', () => cb.setStrictness(screening.value as Strictness));
  const title = el('h2', { 'data-testid': 'conversation-title', class: 'conversation-title' });

  const compose = el('input', {
    'data-testid': 'compose',
    type: 'text',
    autocomplete: 'off',
    maxlength: 4000,
    placeholder: 'Write a message',
    'aria-label': 'Message',
  });
  // Disabled until the node worker has started (identity loaded): nothing typed can be lost.
  const sendButton = el('button', {
    type: 'submit',
    'data-testid': 'send',
    text: 'Send',
    disabled: true,
  });
  const sendError = el('p', {
    class: 'send-error',
    'data-testid': 'send-error',
    role: 'alert',
    hidden: true,
  });
  const form = el('form', { class: 'compose' }, compose, sendButton);
  let ready = false;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = compose.value.trim();
    if (!text || !ready) return;
    // Cleared only after the worker has stored the message: a failed send keeps what was typed.
    sendButton.disabled = true;
    cb.send(text)
      .then(() => {
        compose.value = '';
        sendError.hidden = true;
      })
      .catch((e: unknown) => {
        sendError.textContent = `Not sent, your text is kept: ${e instanceof Error ? e.message : String(e)}`;
        sendError.hidden = false;
      })
      .finally(() => {
        sendButton.disabled = false;
        compose.focus();
      });
  });

  const updateBanner = el('div', {
    class: 'update-banner',
    'data-testid': 'update-banner',
    hidden: true,
  });

  const diagnostics = el('section', {
    'data-testid': 'diagnostics',
    class: 'diagnostics',
    hidden: true,
  });

  root.replaceChildren(
    updateBanner,
    el(
      'header',
      { class: 'top' },
      el('h1', { text: 'Katya Mesh' }),
      roomLabel,
      el('span', { class: 'spacer' }),
      netStatus,
      screening,
      el('span', { class: 'self' }, 'you: ', selfIdEl),
      diagButton,
    ),
    el(
      'div',
      { class: 'body' },
      el(
        'aside',
        { class: 'side' },
        roomButton,
        el('h3', { class: 'peer-group', text: 'Peers' }),
        peerList.element,
      ),
      el('main', { class: 'chat' }, title, messages.element, sendError, form),
      diagnostics,
    ),
  );

  return {
    diagnostics,
    messages,
    setSelf(id: string, room: string) {
      selfId = id;
      selfIdEl.textContent = id;
      ready = true;
      sendButton.disabled = false;
      roomLabel.textContent = `#${room}`;
      roomButton.textContent = `# ${room}`;
    },
    setSignaling(state: SignalingState) {
      netStatus.dataset.signaling = state === 'connected' ? 'connected' : 'disconnected';
      netStatus.dataset.state = state;
      netStatus.textContent =
        state === 'connected'
          ? 'signaling: on'
          : state === 'connecting'
            ? 'signaling: connecting'
            : 'signaling: off (mesh only)';
    },
    setConversation(c: Conversation, list: ChatMessage[], peer?: PeerEntry) {
      roomButton.classList.toggle('open', c === 'room');
      title.textContent =
        c === 'room'
          ? roomLabel.textContent
          : `Direct: ${peer ? displayName(peer.name, peer.peerId) : c.slice(3, 11)}`;
      messages.reset(list);
    },
    renderPeers(peers: PeerEntry[], openPeer: string | undefined, unread: Map<string, number>) {
      peerList.render(peers, openPeer, unread);
    },
    setStrictness(s: Strictness) {
      screening.value = s;
    },
    showUpdateReady(apply: () => void) {
      const button = el('button', {
        type: 'button',
        'data-testid': 'update-reload',
        text: 'Reload',
      });
      button.addEventListener('click', apply);
      updateBanner.replaceChildren(
        el('span', { text: 'A new version of Katya Mesh is ready.' }),
        button,
      );
      updateBanner.hidden = false;
    },
    setDiagnosticsVisible(visible: boolean) {
      diagnostics.hidden = !visible;
      diagButton.classList.toggle('open', visible);
    },
  };
}

export type AppView = ReturnType<typeof createAppView>;
