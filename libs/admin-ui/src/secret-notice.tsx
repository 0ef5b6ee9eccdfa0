export function SecretNotice({
  secret,
  previousValidUntil,
  onDismiss,
}: {
  secret: string;
  previousValidUntil?: string;
  onDismiss: () => void;
}) {
  return (
    <section className="notice" aria-label="Signing secret">
      <h2>Signing secret</h2>
      <p>Copy it now: it is shown only this once. Receivers verify the webhook-signature header with it.</p>
      <code className="secret">{secret}</code>
      {previousValidUntil && (
        <p>
          The previous secret keeps signing alongside it until {new Date(previousValidUntil).toLocaleString()}
          .
        </p>
      )}
      <button type="button" onClick={onDismiss}>
        I have stored it
      </button>
    </section>
  );
}
