// svelte-check reads this (package.json points it here): without it, it would load vite.config.ts, whose crx
// plugin empties dist/extension as it starts. No preprocessors: Svelte 5 reads TypeScript in <script lang="ts">.
export default {};
