import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * For `npm start` without SMTP_URL: an SMTP server on loopback that keeps each failure email as an .eml
 * file and prints one line per message, so the notifier runs for real without an outside mail server.
 */
export async function startMailCatcher(dir: string, port: number) {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        count += 1;
        const file = join(dir, `${new Date().toISOString().replaceAll(':', '-')}-${count}.eml`);
        const message = Buffer.concat(chunks);
        writeFileSync(file, message);
        const to = session.envelope.rcptTo.map((recipient) => recipient.address).join(', ');
        // Subjects arrive MIME-encoded; the parser decodes them for the console line.
        simpleParser(message)
          .then((parsed) => console.log(`[mail] to ${to}: ${parsed.subject ?? '(no subject)'}  (${file})`))
          .catch(() => console.log(`[mail] to ${to}  (${file})`))
          .finally(() => callback());
      });
    },
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', listening);
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((closed) => server.close(closed)),
  };
}
