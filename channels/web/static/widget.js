/* Partpilot chat widget loader. Embed with one tag:
 *   <script src="{your Partpilot server}/widget/widget.js" data-widget-key="ppk_..." data-user-token="..." async></script>
 * data-widget-key is your organization's publishable key (`partpilot widget key --org ORG`); data-user-token is
 * signed by your site's backend for the signed-in user with the organization's widget secret, which stays there
 * (see the README). The older data-api-key="pp_..." (a user's secret API key) still works: keep it off public pages.
 * Optional: data-api-base (default: where this script came from), data-mode="inline" with
 * data-target="#element-id" (default: a floating button), data-title.
 * Everything (scripts, styles) comes from the same server; nothing is fetched from anywhere else. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var src = new URL(script.src, document.baseURI);
  var options = {
    apiKey: script.getAttribute("data-api-key") || "",
    widgetKey: script.getAttribute("data-widget-key") || "",
    userToken: script.getAttribute("data-user-token") || "",
    apiBase: (script.getAttribute("data-api-base") || src.origin).replace(/\/$/, ""),
    assets: new URL(".", src).href,
    mode: script.getAttribute("data-mode") || "floating",
    target: script.getAttribute("data-target"),
    title: script.getAttribute("data-title") || "Partpilot",
  };
  function start() {
    import(options.assets + "chat.js").then(function (module) { module.mount(options); })
      .catch(function (err) { console.error("Partpilot widget failed to load", err); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
