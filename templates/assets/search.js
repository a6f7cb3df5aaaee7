// Search page glue for Pagefind's Component UI: a visible label, and the query in the URL
// (?q=…) so that the header search box lands here with results and a search can be shared.

const LABEL = "Sök i arkivet";
// One or two letters match a large part of the archive (å, ä and ö fold to a and o)
// and make Pagefind load most of the index: wait for three.
const MIN_LENGTH = 3;

function whenRendered(selector) {
  return new Promise((resolve) => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = document.querySelector(selector);
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

async function start() {
  const input = await whenRendered("pagefind-input input");
  // Pagefind's own label is for screen readers only; show it, above the component so
  // that the component's search icon stays inside the input.
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (label) {
    label.removeAttribute("data-pf-sr-hidden");
    label.classList.add("search-label");
    label.textContent = LABEL;
    input.closest("pagefind-input").before(label);
  }

  const instance = window.PagefindComponents?.getInstanceManager().getInstance("default");
  input.closest("pagefind-input").addEventListener(
    "input",
    (event) => {
      const length = input.value.trim().length;
      if (length > 0 && length < MIN_LENGTH) {
        event.stopPropagation(); // captured before Pagefind's own listener on the input
        instance?.triggerSearch("");
      }
    },
    true,
  );

  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  input.addEventListener("input", () => {
    const url = new URL(window.location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value.trim());
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
}

start();
