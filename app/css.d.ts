// Stylesheets imported for their effect (app/theme.css): Vite bundles them.
declare module '*.css';
