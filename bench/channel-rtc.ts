/**
 * Two RTCPeerConnections in one page joined by one data channel, with no signaling server: the
 * SDP goes straight from one object to the other. Non-trickle (each side waits for ICE gathering
 * to finish, which on loopback takes milliseconds), so no candidate can arrive before the remote
 * description it belongs to.
 */

export interface ChannelPair {
  a: RTCDataChannel;
  b: RTCDataChannel;
  close(): void;
}

function gathered(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE gathering timed out')), timeoutMs);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

function opened(ch: RTCDataChannel, timeoutMs: number): Promise<void> {
  if (ch.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`channel ${ch.label} not open (${ch.readyState})`)),
      timeoutMs,
    );
    ch.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Default channel options (ordered, reliable), as simple-peer opens the app's channels. */
export async function openChannelPair(label: string, timeoutMs: number): Promise<ChannelPair> {
  // iceServers: [] — loopback host candidates only; no STUN lookups leave the machine.
  const pa = new RTCPeerConnection({ iceServers: [] });
  const pb = new RTCPeerConnection({ iceServers: [] });
  const close = () => {
    pa.close();
    pb.close();
  };
  try {
    const a = pa.createDataChannel(label);
    const incoming = new Promise<RTCDataChannel>((resolve) => {
      pb.ondatachannel = (ev) => resolve(ev.channel);
    });
    await pa.setLocalDescription(await pa.createOffer());
    await gathered(pa, timeoutMs);
    await pb.setRemoteDescription(pa.localDescription!);
    await pb.setLocalDescription(await pb.createAnswer());
    await gathered(pb, timeoutMs);
    await pa.setRemoteDescription(pb.localDescription!);
    const b = await Promise.race([
      incoming,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no incoming channel ${label}`)), timeoutMs),
      ),
    ]);
    await Promise.all([opened(a, timeoutMs), opened(b, timeoutMs)]);
    a.binaryType = b.binaryType = 'arraybuffer';
    return { a, b, close };
  } catch (e) {
    close();
    throw e;
  }
}
