// The advice for a server that could not listen: usually its port is taken, often by a leftover run.

/** A hint for `boundedStart` naming the port and the variable that moves it. */
export function portHint(variable: string, port: number): (error: unknown) => string {
  return (error) =>
    (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
      ? `port ${port} is in use: stop what holds it (\`ss -ltnp 'sport = :${port}'\` shows it) or set ${variable} to a free port`
      : `check that this user may listen on port ${port}, or set ${variable} to another port`;
}
