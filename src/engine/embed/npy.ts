/** NumPy .npy v1.0 writer/reader for a float32 little-endian matrix (no numpy needed to read it back). */

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Encodes `data` (row-major, length rows * cols) as a .npy v1.0 file of shape [rows, cols]. */
export function encodeNpy(data: Float32Array, rows: number, cols: number): Buffer {
  if (data.length !== rows * cols) throw new Error(`encodeNpy: ${data.length} values do not fill [${rows}, ${cols}]`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10 + header.length);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  const body = Buffer.alloc(data.length * 4);
  data.forEach((v, i) => body.writeFloatLE(v, i * 4));
  return Buffer.concat([head, body]);
}

/** Parses a .npy v1.0 float32 matrix as encodeNpy writes it. */
export function decodeNpy(file: Buffer): { shape: [number, number]; data: Float32Array } {
  if (!file.subarray(0, 6).equals(MAGIC)) throw new Error('not a .npy file');
  const length = file.readUInt16LE(8);
  const header = file.subarray(10, 10 + length).toString('latin1');
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header);
  if (!header.includes("'<f4'") || !shape) throw new Error(`unsupported .npy header: ${header}`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = file.readFloatLE(10 + length + i * 4);
  return { shape: [rows, cols], data };
}
