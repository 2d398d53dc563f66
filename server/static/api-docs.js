// Starts Swagger UI on /docs (a file, not an inline script: the pages' CSP allows scripts from this server only).
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
