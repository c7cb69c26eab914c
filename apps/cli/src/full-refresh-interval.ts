import { intervalFrom, IntervalOrderError, type Interval } from "./interval.js";

interface DateFlags {
  fullRefresh?: boolean | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
}

/**
 * A full refresh without a start date (neither `--start-date` nor
 * `BRUIN_START_DATE`) runs from the pipeline's `start_date`, and each asset
 * from its own when it has one, as the reference does.
 */
export function startsAtStartDates(flags: DateFlags, env: Record<string, string | undefined>): boolean {
  return flags.fullRefresh === true && flags.startDate === undefined && !env.BRUIN_START_DATE?.trim();
}

/**
 * The interval before the pipeline is read. When the start will come from
 * the pipeline's `start_date`, an end before the default start is not an
 * error yet: until then the interval starts at its end (see `startDateInterval`).
 */
export function provisionalInterval(flags: DateFlags, env: Record<string, string | undefined>): Interval {
  try {
    return intervalFrom(flags, env);
  } catch (error) {
    if (!(startsAtStartDates(flags, env) && error instanceof IntervalOrderError)) throw error;
    return intervalFrom({ ...flags, startDate: flags.endDate ?? env.BRUIN_END_DATE }, env);
  }
}

/** The interval of a full refresh that starts at the pipeline's `start_date` (the default start without one). */
export function startDateInterval(
  flags: DateFlags,
  env: Record<string, string | undefined>,
  pipelineStartDate: string | undefined,
): Interval {
  return intervalFrom({ ...flags, startDate: pipelineStartDate }, env);
}
