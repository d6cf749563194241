import { describe, expect, it } from 'vitest';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import { layoutTopology, pathBetween } from '../../../src/components/sim/layout.ts';
import { keyColour, KEY_COLOURS, logWindow, MessageLayer, spreadLabels, type MessagePalette } from '../../../src/components/sim/message-layer.ts';

const frameAt = (trace: TraceEvent[], atMs: number) => amqpViewPlugin.createView(trace).seek(atMs);
const layoutOf = (trace: TraceEvent[]) => layoutTopology(amqpViewPlugin.createView(trace).topology);
import { WORK_QUEUE_FIXTURE } from '../snapshot/fixture-trace.ts';

const palette: MessagePalette = {
  publish: 'blue', deliver: 'navy', redelivered: 'orange', reply: 'purple', deadLetter: 'brown', ack: 'green', nack: 'red',
  ready: 'lightblue', cursor: 'teal', label: 'grey',
};

/** A canvas stand-in that records arcs (centre x, y and the fill colour in force when filled) and fill calls. */
function fakeCanvas(width = 1000) {
  const arcs: Array<{ x: number; y: number }> = [];
  const fills: Array<{ colour: string; arcs: Array<{ x: number; y: number }> }> = [];
  let pending: Array<{ x: number; y: number }> = [];
  const texts: Array<{ text: string; x: number; y: number }> = [];
  const ctx = {
    fillStyle: '',
    setTransform() {},
    clearRect() {},
    closePath() {},
    lineTo() {},
    stroke() {},
    strokeStyle: '',
    lineWidth: 1,
    beginPath() { pending = []; },
    moveTo() {},
    rect() {},
    arc(x: number, y: number) { arcs.push({ x, y }); pending.push({ x, y }); },
    fill() { fills.push({ colour: String(ctx.fillStyle), arcs: pending }); },
    font: '',
    textAlign: '',
    textBaseline: '',
    fillText(text: string, x: number, y: number) { texts.push({ text, x, y }); },
  };
  const canvas = {
    clientWidth: width, clientHeight: 300, width: 0, height: 0,
    getContext: () => ctx,
    setAttribute() {},
  } as unknown as HTMLCanvasElement;
  return { canvas, arcs, fills, texts };
}

describe('MessageLayer', () => {
  const layout = layoutOf(WORK_QUEUE_FIXTURE);

  it('draws a message at from + (to − from) × progress', () => {
    const { canvas, fills } = fakeCanvas();
    new MessageLayer(canvas, palette).draw(frameAt(WORK_QUEUE_FIXTURE, 115), layout, false);
    const path = pathBetween(layout, 'queue:tasks', 'consumer:ctag1')!;
    const deliver = fills.find((f) => f.colour === 'navy')!;
    expect(deliver.arcs).toHaveLength(1);
    expect(deliver.arcs[0].x).toBeCloseTo((path.x0 + path.x1) / 2);
    expect(Math.abs(deliver.arcs[0].y - (path.y0 + path.y1) / 2)).toBeLessThanOrEqual(3);
  });

  it('captions a few messages with their ids, but not a crowd', () => {
    const few = fakeCanvas();
    new MessageLayer(few.canvas, palette).draw(frameAt(WORK_QUEUE_FIXTURE, 115), layout, false);
    expect(few.texts.map((t) => t.text)).toEqual(['m1']);
    const trace: TraceEvent[] = [...WORK_QUEUE_FIXTURE.slice(0, 9)];
    for (let i = 0; i < 50; i++) {
      trace.push({ t: i, kind: 'published', msgId: `p${i}`, channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: '', arriveAtMs: 500 });
    }
    const crowd = fakeCanvas();
    new MessageLayer(crowd.canvas, palette).draw(frameAt(trace, 100), layoutOf(trace), false);
    expect(crowd.texts).toEqual([]);
  });

  it('paints redeliveries in their own colour', () => {
    const { canvas, fills } = fakeCanvas();
    new MessageLayer(canvas, palette).draw(frameAt(WORK_QUEUE_FIXTURE, 1155), layout, false);
    expect(fills.find((f) => f.colour === 'orange')?.arcs).toHaveLength(1);
    expect(fills.find((f) => f.colour === 'navy')).toBeUndefined();
  });

  it('holds a message at the middle of its path with reduced motion', () => {
    const { canvas, fills } = fakeCanvas();
    new MessageLayer(canvas, palette).draw(frameAt(WORK_QUEUE_FIXTURE, 111), layout, true);
    const path = pathBetween(layout, 'queue:tasks', 'consumer:ctag1')!;
    expect(fills.find((f) => f.colour === 'navy')!.arcs[0].x).toBeCloseTo((path.x0 + path.x1) / 2);
  });

  it('batches a thousand messages into one fill per colour', () => {
    const trace: TraceEvent[] = [...WORK_QUEUE_FIXTURE.slice(0, 9)];
    for (let i = 0; i < 1000; i++) {
      trace.push({ t: i, kind: 'published', msgId: `p${i}`, channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: '', arriveAtMs: 5000 });
    }
    const { canvas, fills, arcs } = fakeCanvas();
    new MessageLayer(canvas, palette).draw(frameAt(trace, 1000), layoutOf(trace), false);
    expect(arcs).toHaveLength(1000);
    expect(fills.filter((f) => f.colour === 'navy')).toHaveLength(1);
  });

  it('leaves out a label that would sit on top of another', () => {
    const kept = spreadLabels([{ x: 100, y: 50 }, { x: 110, y: 52 }, { x: 200, y: 50 }, { x: 105, y: 90 }]);
    expect(kept).toEqual([{ x: 100, y: 50 }, { x: 200, y: 50 }, { x: 105, y: 90 }]);
  });
});

describe('log lanes (logWindow, keyColour)', () => {
  it('keeps offsets in place while the log grows: room for 16, then 32, 64 … offsets from 0', () => {
    expect(logWindow(0, 320)).toMatchObject({ base: 0, capacity: 16, cell: 20, labelStep: 1 });
    expect(logWindow(15, 320)).toMatchObject({ base: 0, capacity: 16 });
    expect(logWindow(16, 320)).toMatchObject({ base: 0, capacity: 32, cell: 10 });
    expect(logWindow(30, 320).labelStep).toBe(2);
    expect(logWindow(60, 320)).toMatchObject({ base: 0, capacity: 64, cell: 5, labelStep: 5 });
  });

  it('shows only the newest offsets, from a multiple of 10, when even the narrowest cells cannot hold the log', () => {
    const w = logWindow(1000, 320);
    expect(w.capacity).toBe(80);
    expect(w.base % 10).toBe(0);
    expect(w.base + w.capacity).toBeGreaterThanOrEqual(1001);
    expect(w.base).toBeLessThanOrEqual(1001 - 80 + 10);
  });

  it('gives numbered keys different colours (up to eight) and every key the same colour each time', () => {
    const colours = Array.from({ length: 8 }, (_, i) => keyColour(`customer-${i}`));
    expect(new Set(colours).size).toBe(8);
    expect(keyColour('ana')).toBe(keyColour('ana'));
    expect(KEY_COLOURS).toContain(keyColour('ana'));
  });
});
