// Part of the runtime every generated client carries: the future an operation method
// returns. Generated methods are plain functions that build the request and name how to
// decode each status; the sending (a boxed future of the non-generic `Core::execute`) and
// the decoding happen here, so no operation carries its own async state machine.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{Core, Error, RawResponse, Request, Response, TransportFailure};

/// How an operation turns a response into its result: the success body, or its declared
/// error for the status.
#[doc(hidden)]
pub type Decode<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;

/// One call of an operation: a future resolving to the decoded response or an [`Error`].
/// Nothing is sent until it is awaited (or polled).
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'a, T, E> {
    state: State<'a, T, E>,
}

type Sending<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, TransportFailure>> + Send + 'a>>;

// One value per call, held until it is sent: not worth boxing the request.
#[allow(clippy::large_enum_variant)]
enum State<'a, T, E> {
    Ready {
        core: &'a Core,
        request: Request,
        decode: Decode<T, E>,
    },
    Sending {
        sending: Sending<'a>,
        decode: Decode<T, E>,
    },
    Done,
}

impl Core {
    /// The call that sends `request` and decodes its response with `decode`.
    #[doc(hidden)]
    pub fn call<T, E>(&self, request: Request, decode: Decode<T, E>) -> Call<'_, T, E> {
        Call {
            state: State::Ready {
                core: self,
                request,
                decode,
            },
        }
    }
}

impl<T, E> Call<'_, T, E> {
    /// The same call sent to `url` (the next page's URL from a `Link` header) instead of
    /// the URL the method built; refused (before sending) unless `url` is on the client's
    /// base URL's scheme, host and port.
    #[doc(hidden)]
    pub fn at_url(mut self, url: &super::Url) -> Self {
        if let State::Ready { core, request, .. } = &mut self.state {
            request.set_url(url.clone(), core.base_url());
        }
        self
    }
}

impl<'a, T, E> Call<'a, T, E> {
    /// The same call, not yet sent, on `core` borrowed for `'b`: the client's core again,
    /// for a page's call whose request builder borrowed what lives only as long as the
    /// page's request is built (its cursor, or its copy of the body). Only for a call
    /// `send` has just made: a call already polled has nothing left to send.
    #[doc(hidden)]
    pub fn on_core<'b>(self, core: &'b Core) -> Call<'b, T, E> {
        let state = match self.state {
            State::Ready {
                request, decode, ..
            } => State::Ready {
                core,
                request,
                decode,
            },
            State::Sending { .. } | State::Done => State::Done,
        };
        Call { state }
    }
}

impl<T, E> std::fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Ready { .. } => "ready",
            State::Sending { .. } => "sending",
            State::Done => "done",
        };
        f.debug_struct("Call").field("state", &state).finish()
    }
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Ready {
                    core,
                    mut request,
                    decode,
                } => {
                    if let Some(error) = request.take_error() {
                        return Poll::Ready(Err(error.into()));
                    }
                    this.state = State::Sending {
                        sending: Box::pin(core.execute(request)),
                        decode,
                    };
                }
                State::Sending {
                    mut sending,
                    decode,
                } => {
                    return match sending.as_mut().poll(cx) {
                        Poll::Ready(Ok(response)) => Poll::Ready(decode(response)),
                        Poll::Ready(Err(failure)) => Poll::Ready(Err(failure.into())),
                        Poll::Pending => {
                            this.state = State::Sending { sending, decode };
                            Poll::Pending
                        }
                    };
                }
                State::Done => panic!("`Call` polled after it completed"),
            }
        }
    }
}
