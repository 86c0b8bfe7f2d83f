/**
 * A stand-in for the X-Ray daemon Lambda runs beside the function (AWS_XRAY_DAEMON_ADDRESS):
 * a UDP socket on 127.0.0.1, random free port, recording every datagram.
 * The daemon protocol is a JSON header line, a newline, then one segment document.
 */
import * as dgram from 'dgram';

export interface XRayDatagram {
  /** The first line, e.g. `{"format": "json", "version": 1}`. */
  readonly header: string;
  /** The segment document after it, parsed. */
  readonly segment: Record<string, any>;
}

export interface FakeXRayDaemon {
  /** `127.0.0.1:<port>`, the format AWS_XRAY_DAEMON_ADDRESS takes. */
  readonly address: string;
  readonly datagrams: XRayDatagram[];
  close(): Promise<void>;
}

/** `port` 0 (the default) takes a free one; the Go suite's sandbox takes 2000, the daemon's own. */
export async function startFakeXRayDaemon(port = 0): Promise<FakeXRayDaemon> {
  const datagrams: XRayDatagram[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => {
    const text = message.toString('utf-8');
    const newline = text.indexOf('\n');
    datagrams.push({ header: text.slice(0, newline), segment: JSON.parse(text.slice(newline + 1)) });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    datagrams,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
