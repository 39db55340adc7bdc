// A receiver of Aftermath's outbound webhooks that checks each request's signature (Standard Webhooks).
//   npm install standardwebhooks
//   WEBHOOK_SECRET=whsec_... PORT=8080 node outbound-receiver.mjs
// Answers 204 to a request it verified (Aftermath then counts it delivered), 401 to one it did not
// (Aftermath retries; a request that never verifies is not from Aftermath or not with this secret), and
// prints one line per notice. Retries carry the same webhook-id: it handles each id once.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const seen = new Set(); // use your database in earnest: ids must survive a restart

const server = createServer(async (request, response) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString('utf8'); // verify the exact bytes, before any JSON parsing
  let notice;
  try {
    // Checks webhook-signature over `${webhook-id}.${webhook-timestamp}.${body}`, and refuses a timestamp
    // more than five minutes away (a replayed request).
    notice = webhook.verify(body, request.headers);
  } catch (error) {
    response.writeHead(401).end();
    console.log(`refused: ${error.message}`);
    return;
  }
  const id = request.headers['webhook-id'];
  if (!seen.has(id)) {
    seen.add(id);
    const { incident, links } = notice.data;
    console.log(`${notice.type} ${incident.id} ${incident.status} ${incident.severity ?? '-'} ${links.workspace}`);
  }
  response.writeHead(204).end(); // answer quickly; do slow work after
});

server.listen(Number(process.env.PORT ?? 8080), () => console.log(`listening on ${server.address().port}`));
