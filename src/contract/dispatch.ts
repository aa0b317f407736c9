/**
 * Dispatch by a map of named handlers, one per request type: a missing handler is a compile
 * error, and each handler sees its own request type and must return its own reply type.
 */
export type Handlers<Request extends { type: string }, Replies extends { [T in Request['type']]: unknown }> = {
  [T in Request['type']]: (request: Extract<Request, { type: T }>) => Replies[T] | Promise<Replies[T]>;
};

export async function dispatch<Request extends { type: string }, Replies extends { [T in Request['type']]: unknown }>(
  handlers: Handlers<Request, Replies>,
  request: Request,
): Promise<Replies[Request['type']]> {
  const handler = handlers[request.type as Request['type']] as (request: Request) => Replies[Request['type']] | Promise<Replies[Request['type']]>;
  return handler(request);
}
