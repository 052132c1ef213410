/** The one non-Comlink message the inference worker accepts: a port to expose its API on. */
export interface ConnectMessage {
  katyaConnect: true;
  port: MessagePort;
}

export function isConnectMessage(data: unknown): data is ConnectMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as ConnectMessage).katyaConnect === true &&
    (data as ConnectMessage).port instanceof MessagePort
  );
}
