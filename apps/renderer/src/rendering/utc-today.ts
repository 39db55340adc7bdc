/** Today's date in UTC, `YYYY-MM-DD`: a draft's default "prepared on" day (service and CLI alike). */
export const utcToday = (): string => new Date().toISOString().slice(0, 10);
