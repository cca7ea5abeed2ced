// The baseline workflows' activity: returns at once, so what is measured is Temporal's own cost.
export async function noop(label: string): Promise<string> {
  return label;
}
