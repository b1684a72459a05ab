// The page's content is in the DOM when a module script runs (modules are deferred).
performance.mark("hello:content");
