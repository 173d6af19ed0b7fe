// The DevTools page: lives as long as DevTools is open on a tab, and only adds the panel.
chrome.devtools.panels.create('Socket.IO', '', 'extension/panel/panel.html');
