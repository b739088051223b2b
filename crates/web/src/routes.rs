//! The route table. Routes are declared through [`Routes`] and the
//! [`get`] and [`post`] functions of this module, which build the axum
//! router and, from the same calls, the list of every (method, path
//! pattern) pair that [`crate::route_table`] returns. The access-matrix
//! test reads that list, so a route cannot be added without the test
//! seeing it.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;

use crate::state::AppState;

/// One routed (method, path pattern) pair, e.g. `GET /cases/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteEntry {
    pub method: Method,
    /// The axum path pattern, with `{name}` and `{*name}` parameters.
    pub path: String,
}

/// The handlers of one path, with the methods they answer.
pub struct Methods {
    router: MethodRouter<AppState>,
    methods: Vec<Method>,
}

/// A `GET` handler (axum also answers `HEAD` with it).
pub fn get<H, T>(handler: H) -> Methods
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Methods {
        router: axum::routing::get(handler),
        methods: vec![Method::GET],
    }
}

/// A `POST` handler.
pub fn post<H, T>(handler: H) -> Methods
where
    H: Handler<T, AppState>,
    T: 'static,
{
    Methods {
        router: axum::routing::post(handler),
        methods: vec![Method::POST],
    }
}

impl Methods {
    /// Adds a `GET` handler.
    pub fn get<H, T>(mut self, handler: H) -> Methods
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.get(handler);
        self.methods.push(Method::GET);
        self
    }

    /// Adds a `POST` handler.
    pub fn post<H, T>(mut self, handler: H) -> Methods
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.post(handler);
        self.methods.push(Method::POST);
        self
    }
}

/// A router that records every route it is given.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteEntry>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Routes `path` to `methods`; see [`Router::route`].
    pub fn route(mut self, path: &str, methods: Methods) -> Routes {
        self.table
            .extend(methods.methods.into_iter().map(|method| RouteEntry {
                method,
                path: path.to_owned(),
            }));
        self.router = self.router.route(path, methods.router);
        self
    }

    /// Adds the routes of `other`; see [`Router::merge`].
    pub fn merge(mut self, other: Routes) -> Routes {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
    }

    /// The routes so far.
    pub fn table(&self) -> &[RouteEntry] {
        &self.table
    }

    /// The axum router, to which layers are added.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
