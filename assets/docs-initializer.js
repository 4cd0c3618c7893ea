// Starts Swagger UI on the /docs page (src/http/docs.routes.ts). A file, not
// an inline script, so the page runs under a CSP with script-src 'self'.
(() => {
  // Relative to this script (/docs/initializer.js), so a path prefix in front of Usher is kept.
  var spec = new URL('../openapi.json', document.currentScript.src).href;
  window.ui = SwaggerUIBundle({
    url: spec,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Nothing phones home: no online validator badge; no ?url= or ?configUrl= taken from the page's query.
    validatorUrl: null,
    queryConfigEnabled: false,
    tryItOutEnabled: false,
    // Swagger UI's server <select> sits in an empty <label>, so it has no accessible name (axe: select-name): give it one.
    onComplete: () => {
      var servers = document.getElementById('servers');
      if (servers && !servers.hasAttribute('aria-label')) servers.setAttribute('aria-label', 'Server');
    },
  });
})();
