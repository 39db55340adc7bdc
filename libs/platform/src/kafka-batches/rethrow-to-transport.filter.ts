import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a batch handler's error to the transport unchanged. Nest's default RPC filter replaces it by
 * "Internal server error", but the transport needs the error itself to tell what heals (a connection
 * lost: retry) from what does not (PostgreSQL refusing a value: isolate the message, dead-letter it).
 */
@Catch()
export class RethrowToTransport implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
