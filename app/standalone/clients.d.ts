// socket.io-client 2 and its msgpack parser ship without typings; the app uses this much of them.
declare module 'socket.io-client-v2' {
  const lookup: { Manager: new (url: string, options: object) => unknown };
  export default lookup;
}
declare module 'socket.io-msgpack-parser-v2' {
  const parser: object;
  export default parser;
}
