/** A WmsEvent value whose attributes map claims 10^15 entries in one block: 77 bytes with its frame. */
export function endlessMapRecord(schemaId: number): Buffer {
  const text = (value: string) => [value.length * 2, ...Buffer.from(value)];
  const frame = Buffer.alloc(5);
  frame.writeInt32BE(schemaId, 1);
  return Buffer.concat([
    frame,
    Buffer.from([
      ...text('6f1c1f52-3d0e-4b0f-9a57-3c5f2d1e8a10'),
      ...text('order.picked'),
      ...[0x80, 0xf8, 0xb2, 0xe5, 0xbd, 0x68, 0x54, 0],
      ...text('ORD-1'),
      ...[0x80, 0x80, 0xb4, 0xcc, 0xd4, 0xdf, 0xc6, 0x03],
    ]),
  ]);
}
