// The baseline of the gateway benchmark: the least a Media Streams server can do. Each message is JSON.parse'd,
// each payload base64-decoded and appended to one file per call. It answers the incoming-call webhook with a
// <Connect><Stream>, and reports how late it read each frame (the gateway's frame-lag rule) at GET /stats.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT);
const recordings = process.env.RECORDINGS_PATH;
const bounds = JSON.parse(process.env.LAG_BUCKETS);
fs.mkdirSync(recordings, { recursive: true });

let stats = newStats();
function newStats() {
  return { frames: 0, finalized: 0, lagCounts: new Array(bounds.length + 1).fill(0), lagMax: 0, lagSum: 0 };
}
function recordLag(ms) {
  let i = 0;
  while (i < bounds.length && ms > bounds[i]) i++;
  stats.lagCounts[i]++;
  stats.lagSum += ms;
  if (ms > stats.lagMax) stats.lagMax = ms;
  stats.frames++;
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/stats')) {
    const body = JSON.stringify(stats);
    if (req.url.includes('reset=1')) stats = newStats();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const form = new URLSearchParams(body);
    if (req.url === '/twilio/voice/incoming') {
      const url = `ws://127.0.0.1:${port}/twilio/media/${encodeURIComponent(form.get('CallSid'))}`;
      res.writeHead(200, { 'content-type': 'text/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${url}"/></Connect></Response>`);
    } else {
      res.writeHead(204).end();
    }
  });
});

const sockets = new WebSocketServer({ server });
sockets.on('connection', (socket) => {
  let file = null;
  let clock = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    switch (message.event) {
      case 'start':
        clock = performance.now();
        file = fs.createWriteStream(path.join(recordings, `${message.start.callSid}.ulaw`));
        break;
      case 'media': {
        file.write(Buffer.from(message.media.payload, 'base64'));
        let lag = performance.now() - clock - Number(message.media.timestamp);
        if (lag < 0) { clock += lag; lag = 0; }
        recordLag(lag);
        break;
      }
      case 'stop':
        file.end();
        file = null;
        stats.finalized++;
        socket.close(1000, 'stopped');
        break;
    }
  });
  socket.on('close', () => { if (file) file.end(); });
});

server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
