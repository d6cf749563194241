// amqplib's callback API (require('amqplib/callback_api'); an ES module imports 'amqplib/callback_api.js'): the
// same client with node-style callbacks. Callbacks run inside the handling of the reply (a consume's callback comes
// before its first deliveries); a failed operation calls back with the error and the channel emits 'error'; what
// the promise API would reject with before sending (a closed channel) is thrown; a channel's get never calls back
// on a server error; an exception thrown in a callback becomes a connection error.
import amqp from 'amqplib/callback_api.js';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const Q = 'conf-47';
const steps = [];
const next = (...args) => steps.shift()(...args);
const fail = (where) => (err) => {
  if (err) console.log(`${where}: unexpected`, err.message);
};

console.log('exports:', Object.keys(amqp).join(', '));
try {
  amqp.connect('http://localhost', () => console.log('called back'));
} catch (err) {
  console.log('bad protocol throws:', err.message);
}

steps.push((err) => {
  console.log('refused port:', err.code, err.message);
  amqp.connect(url, { clientProperties: { connection_name: 'conf-47' } }, next);
});
steps.push((err, conn) => {
  console.log('connected:', err, typeof conn.createChannel, conn.connection.channelMax > 0);
  conn.on('error', (e) => console.log('connection error event:', e.message));
  conn.on('close', (e) => console.log('connection close event:', e ? e.message : 'no error'));
  const ch = conn.createChannel(next);
  console.log('createChannel returns the channel at once:', typeof ch.assertQueue);
  steps.unshift((err2, opened) => {
    console.log('channel open:', err2, opened === ch);
    ch.deleteQueue(`${Q}-get`, {}, fail('deleteQueue'));
    const same = ch.deleteQueue(Q, {}, fail('deleteQueue'));
    console.log('methods return the channel:', same === ch);
    ch.assertQueue(Q, { durable: false }, next);
    steps.unshift((err3, ok) => {
      console.log('assertQueue:', err3, JSON.stringify(ok));
      for (let i = 1; i <= 3; i++) ch.sendToQueue(Q, Buffer.from(`m${i}`));
      ch.prefetch(2, false, (e, qosOk) => console.log('prefetch:', e, JSON.stringify(qosOk)));
      ch.consume(Q, (m) => {
        if (m === null) {
          console.log('consumer cancelled by the server');
          return;
        }
        console.log('delivery', m.content.toString(), m.fields.deliveryTag);
        ch.ack(m);
      }, {}, (e, consumeOk) => console.log('consume callback:', e, consumeOk.consumerTag.slice(0, 9)));
      setTimeout(() => next(conn, ch), 200);
    });
  });
});
steps.push((conn, ch) => {
  ch.assertExchange(`${Q}-x`, 'fanout', { durable: false }, (e, ok) => console.log('assertExchange:', e, JSON.stringify(ok)));
  ch.bindQueue(Q, `${Q}-x`, '', {}, (e, ok) => console.log('bindQueue:', e, JSON.stringify(ok)));
  ch.checkExchange(`${Q}-x`, (e, ok) => console.log('checkExchange:', e, JSON.stringify(ok)));
  ch.unbindQueue(Q, `${Q}-x`, '', {}, (e, ok) => console.log('unbindQueue:', e, JSON.stringify(ok)));
  ch.deleteExchange(`${Q}-x`, {}, (e, ok) => console.log('deleteExchange:', e, JSON.stringify(ok)));
  ch.checkQueue(Q, (e, ok) => console.log('checkQueue:', e, JSON.stringify(ok)));
  ch.recover((e, ok) => console.log('recover:', e, JSON.stringify(ok)));
  ch.purgeQueue(Q, (e, ok) => {
    console.log('purgeQueue:', e, JSON.stringify(ok));
    const other = conn.createChannel((e2, c2) => {
      c2.sendToQueue(`${Q}-get`, Buffer.from('nothing there'));
      c2.assertQueue(`${Q}-get`, { durable: false }, () => {
        c2.get(`${Q}-get`, {}, (e3, m) => console.log('get on an empty queue:', e3, m));
        c2.sendToQueue(`${Q}-get`, Buffer.from('g1'));
        setTimeout(() => c2.get(`${Q}-get`, { noAck: true }, (e3, m) => {
          console.log('get:', e3, m.content.toString(), JSON.stringify(m.fields));
          next(conn, c2);
        }), 100);
      });
    });
    console.log('a second channel:', typeof other.get);
  });
});
steps.push((conn, c2) => {
  // A failed operation: the callback gets the error, then the channel emits 'error' and closes.
  c2.on('error', (e) => console.log('channel error event:', e.message));
  c2.on('close', () => console.log('channel close event'));
  c2.checkQueue(`${Q}-missing`, (e) => console.log('checkQueue callback:', e.message, e.code));
  c2.assertQueue(`${Q}-never`, { durable: false }, (e) => console.log('queued behind it:', e.message));
  setTimeout(() => {
    try {
      c2.assertQueue(Q, { durable: false }, () => console.log('not called'));
    } catch (e) {
      console.log('on a closed channel it throws:', e.name, e.message);
    }
    const c3 = conn.createChannel(() => {
      c3.on('error', (e) => console.log('get channel error event:', e.message));
      c3.get(`${Q}-missing`, {}, () => console.log('get called back (it should not be)'));
      setTimeout(() => next(conn), 150);
    });
  }, 150);
});
steps.push((conn) => {
  const cc = conn.createConfirmChannel((e, ch) => {
    console.log('confirm channel:', e, ch === cc);
    ch.sendToQueue(`${Q}-get`, Buffer.from('confirmed'), {}, (err) => console.log('publish confirmed:', err));
    ch.waitForConfirms((err) => {
      console.log('waitForConfirms:', err);
      ch.close((err2) => {
        console.log('channel close callback:', err2);
        next(conn);
      });
    });
  });
});
steps.push((conn) => {
  // An exception in a callback is a connection error: 'error', then every channel and the connection close.
  const ch = conn.createChannel(() => {
    ch.on('close', () => console.log('last channel close event'));
    ch.deleteQueue(Q, {}, () => {
      ch.deleteQueue(`${Q}-get`, {}, (err) => {
        if (err) return; // called again when the channel ends
        throw new Error('thrown in a callback');
      });
    });
  });
  setTimeout(() => {
    conn.close((err) => {
      console.log('close after it died:', err.name, err.message);
      try {
        conn.createChannel(() => {});
      } catch (e) {
        console.log('createChannel after it died:', e.name, e.message);
      }
    });
  }, 200);
});
amqp.connect('amqp://localhost:1', next);
