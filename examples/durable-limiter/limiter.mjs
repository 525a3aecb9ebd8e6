// A rate limiter for `rateLimit:` shared by every isolate of a Worker: one Durable Object per
// token (named by the key the client gives, a hash of the token, never the token) keeps its
// window (window.mjs). Bind the class in wrangler.toml:
//
//   [[durable_objects.bindings]]
//   name = "DATAFAST_LIMITER"
//   class_name = "RateLimiterObject"
//   [[migrations]]
//   tag = "v1"
//   new_sqlite_classes = ["RateLimiterObject"]
//
// and pass `rateLimit: new DurableObjectRateLimiter(env.DATAFAST_LIMITER)` to the client.
import { DurableObject } from 'cloudflare:workers';
import { TokenWindow } from './window.mjs';

export class RateLimiterObject extends DurableObject {
  #window = new TokenWindow();

  acquire() {
    return this.#window.acquire(Date.now());
  }

  report(rateLimit) {
    this.#window.report(rateLimit, Date.now());
  }
}

export class DurableObjectRateLimiter {
  #namespace;
  #stubs = new Map();

  constructor(namespace) {
    this.#namespace = namespace;
  }

  #stub(key) {
    let stub = this.#stubs.get(key);
    if (stub === undefined) {
      stub = this.#namespace.get(this.#namespace.idFromName(key));
      this.#stubs.set(key, stub);
    }
    return stub;
  }

  acquire(key) {
    return this.#stub(key).acquire();
  }

  report(key, rateLimit) {
    return this.#stub(key).report(rateLimit);
  }
}
