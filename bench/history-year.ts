// History per subscription-year: the plain year of test/support/plain-year.ts (12 charges, one dunning
// episode, one refund) on the time-skipping engine harness, its one run's events counted by type.
import { startEngineHarness } from '../test/support/engine-harness.js';
import { EVENTS_PER_YEAR_BUDGET, historyBreakdown, runPlainYear } from '../test/support/plain-year.js';

export interface HistoryYearResult {
  scenario: string;
  events: number;
  budget: number;
  /** events ÷ budget. */
  ratio: number;
  byType: Record<string, number>;
  activities: Record<string, number>;
  localActivities: number;
}

export async function measureHistoryYear(): Promise<HistoryYearResult> {
  const harness = await startEngineHarness();
  try {
    const { events } = await runPlainYear(harness);
    return {
      scenario:
        'monthly plan, 12 charges (first payment + 11 recurring), one decline paid by its dunning link, one refund',
      events: events.length,
      budget: EVENTS_PER_YEAR_BUDGET,
      ratio: Math.round((events.length / EVENTS_PER_YEAR_BUDGET) * 100) / 100,
      ...historyBreakdown(events),
    };
  } finally {
    await harness.stop();
  }
}
