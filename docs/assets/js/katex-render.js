// Renders every formula that pymdownx.arithmatex marked (generic mode) with the
// KaTeX copied into this site by `derive build`: no request leaves the site.
// A formula KaTeX cannot parse is shown as a .katex-error element, which the
// browser test looks for.
(function () {
  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      if (element.querySelector(".katex")) {
        return;
      }
      var source = element.textContent.trim();
      // arithmatex wraps inline math in \( \) and display math in \[ \]
      var tex = source.slice(2, -2);
      katex.render(tex, element, {
        displayMode: element.tagName === "DIV",
        throwOnError: false,
        output: "htmlAndMathml",
      });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { render(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  }
})();
