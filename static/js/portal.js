// A list wider than the window scrolls sideways in its box (.table-responsive); a keyboard user reaches
// such a box with Tab and scrolls it with the arrow keys (WCAG 2.1.1; axe-core's scrollable-region-focusable).
// Only boxes that do scroll become tab stops, and again whenever the window's width changes.
(function () {
  function markScrollingBoxes() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          var caption = box.closest(".card") && box.closest(".card").querySelector(".card-header");
          box.setAttribute("aria-label", (caption ? caption.textContent : document.title).trim());
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingBoxes);
  window.addEventListener("resize", markScrollingBoxes);
})();
