// @helpcrunch-chats/types holds declarations only (see index.d.ts); this module exists so
// that the package resolves the same way under every module system and bundler.
export {};
