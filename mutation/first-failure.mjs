// Jest setup of the mutation run only: a property that fails against a mutant has done its job, so fast-check stops
// at the first counterexample instead of shrinking it (shrinking a log of events can take longer than the timeout).
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
