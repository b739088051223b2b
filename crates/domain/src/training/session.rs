//! Places at an in-person training session: the capacity, the trainees
//! registered, and the waiting list in the order people joined it.
//!
//! Invariants kept by every operation: no trainee is on the roster twice
//! (registered or waiting), the registered never exceed the capacity, and
//! nobody waits while a place is free.

use std::collections::{BTreeSet, VecDeque};

use serde::Serialize;

use super::TraineeId;

/// The roster of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRoster {
    capacity: usize,
    registered: Vec<TraineeId>,
    waiting: VecDeque<TraineeId>,
}

/// A trainee's position on a roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "place", content = "position", rename_all = "snake_case")]
pub enum Place {
    Registered,
    /// Position on the waiting list, counting from 1.
    Waiting(usize),
}

/// The result of a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cancellation {
    /// The place of the trainee who cancelled, before cancelling.
    pub was: Place,
    /// The first on the waiting list, now registered in the freed place;
    /// `None` when the trainee was waiting or nobody was.
    pub promoted: Option<TraineeId>,
}

/// Rejection of a roster change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("a session needs at least one place")]
    ZeroCapacity,
    #[error("the trainee `{0}` is already registered for this session")]
    AlreadyRegistered(TraineeId),
    #[error("the trainee `{trainee}` is already number {position} on the waiting list")]
    AlreadyWaiting { trainee: TraineeId, position: usize },
    #[error("the trainee `{0}` is neither registered nor waiting")]
    NotOnRoster(TraineeId),
    #[error("the capacity cannot go below the {registered} trainees already registered")]
    CapacityBelowRegistered { registered: usize },
    #[error("the stored roster lists the trainee `{0}` twice")]
    Duplicate(TraineeId),
    #[error("the stored roster has more trainees registered than places")]
    OverCapacity,
    #[error("the stored roster has trainees waiting while places are free")]
    WaitingWithFreePlaces,
}

impl SessionRoster {
    /// Builds an empty roster with `capacity` places.
    ///
    /// # Errors
    ///
    /// [`RosterError::ZeroCapacity`] for zero places.
    pub fn new(capacity: usize) -> Result<SessionRoster, RosterError> {
        SessionRoster::from_parts(capacity, Vec::new(), Vec::new())
    }

    /// Rebuilds a roster as the store holds it: the registered trainees and
    /// the waiting list in order.
    ///
    /// # Errors
    ///
    /// [`RosterError::ZeroCapacity`], [`RosterError::Duplicate`],
    /// [`RosterError::OverCapacity`] or
    /// [`RosterError::WaitingWithFreePlaces`] when the parts break an
    /// invariant.
    pub fn from_parts(
        capacity: usize,
        registered: Vec<TraineeId>,
        waiting: Vec<TraineeId>,
    ) -> Result<SessionRoster, RosterError> {
        if capacity == 0 {
            return Err(RosterError::ZeroCapacity);
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = registered
            .iter()
            .chain(&waiting)
            .find(|trainee| !seen.insert(*trainee))
        {
            return Err(RosterError::Duplicate(twice.clone()));
        }
        if registered.len() > capacity {
            return Err(RosterError::OverCapacity);
        }
        if !waiting.is_empty() && registered.len() < capacity {
            return Err(RosterError::WaitingWithFreePlaces);
        }
        Ok(SessionRoster {
            capacity,
            registered,
            waiting: waiting.into(),
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Returns the registered trainees in the order they got their place.
    pub fn registered(&self) -> &[TraineeId] {
        &self.registered
    }

    /// Returns the waiting list, first in line first.
    pub fn waiting(&self) -> impl ExactSizeIterator<Item = &TraineeId> {
        self.waiting.iter()
    }

    pub fn places_left(&self) -> usize {
        self.capacity - self.registered.len()
    }

    /// Returns where `trainee` stands, or `None` when not on the roster.
    pub fn place(&self, trainee: &TraineeId) -> Option<Place> {
        if self.registered.contains(trainee) {
            return Some(Place::Registered);
        }
        self.waiting
            .iter()
            .position(|waiting| waiting == trainee)
            .map(|index| Place::Waiting(index + 1))
    }

    /// Registers `trainee`, or puts them at the end of the waiting list
    /// when the session is full, and returns where they now stand.
    ///
    /// # Errors
    ///
    /// [`RosterError::AlreadyRegistered`] or [`RosterError::AlreadyWaiting`]
    /// when the trainee is on the roster already; the roster is unchanged.
    pub fn register(&mut self, trainee: TraineeId) -> Result<Place, RosterError> {
        match self.place(&trainee) {
            Some(Place::Registered) => return Err(RosterError::AlreadyRegistered(trainee)),
            Some(Place::Waiting(position)) => {
                return Err(RosterError::AlreadyWaiting { trainee, position });
            }
            None => {}
        }
        if self.registered.len() < self.capacity {
            self.registered.push(trainee);
            Ok(Place::Registered)
        } else {
            self.waiting.push_back(trainee);
            Ok(Place::Waiting(self.waiting.len()))
        }
    }

    /// Removes `trainee` from the roster. A registered trainee's place goes
    /// to the first on the waiting list.
    ///
    /// # Errors
    ///
    /// [`RosterError::NotOnRoster`] when the trainee is neither registered
    /// nor waiting.
    pub fn cancel(&mut self, trainee: &TraineeId) -> Result<Cancellation, RosterError> {
        let was = self
            .place(trainee)
            .ok_or_else(|| RosterError::NotOnRoster(trainee.clone()))?;
        let promoted = match was {
            Place::Registered => {
                self.registered.retain(|registered| registered != trainee);
                self.fill_places().into_iter().next()
            }
            Place::Waiting(position) => {
                self.waiting.remove(position - 1);
                None
            }
        };
        Ok(Cancellation { was, promoted })
    }

    /// Changes the number of places and returns the waiting trainees who
    /// got one of the new places, in waiting-list order.
    ///
    /// # Errors
    ///
    /// [`RosterError::ZeroCapacity`] for zero places;
    /// [`RosterError::CapacityBelowRegistered`] when fewer places than
    /// registered trainees would remain. Nobody loses a place they hold.
    pub fn set_capacity(&mut self, capacity: usize) -> Result<Vec<TraineeId>, RosterError> {
        if capacity == 0 {
            return Err(RosterError::ZeroCapacity);
        }
        if capacity < self.registered.len() {
            return Err(RosterError::CapacityBelowRegistered {
                registered: self.registered.len(),
            });
        }
        self.capacity = capacity;
        Ok(self.fill_places())
    }

    fn fill_places(&mut self) -> Vec<TraineeId> {
        let mut promoted = Vec::new();
        while self.registered.len() < self.capacity {
            let Some(next) = self.waiting.pop_front() else {
                break;
            };
            self.registered.push(next.clone());
            promoted.push(next);
        }
        promoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn trainee(id: &str) -> TraineeId {
        TraineeId::from(id)
    }

    fn waiting(roster: &SessionRoster) -> Vec<&str> {
        roster.waiting().map(TraineeId::as_str).collect()
    }

    fn registered(roster: &SessionRoster) -> Vec<&str> {
        roster.registered().iter().map(TraineeId::as_str).collect()
    }

    fn full_roster() -> SessionRoster {
        let mut roster = SessionRoster::new(2).expect("valid");
        for id in ["anna", "babis", "chloe", "dimitris"] {
            roster.register(trainee(id)).expect("new trainee");
        }
        roster
    }

    #[test]
    fn registering_when_full_joins_the_waiting_list_in_order() {
        let mut roster = SessionRoster::new(2).expect("valid");
        assert_eq!(roster.register(trainee("anna")), Ok(Place::Registered));
        assert_eq!(roster.register(trainee("babis")), Ok(Place::Registered));
        assert_eq!(roster.places_left(), 0);
        assert_eq!(roster.register(trainee("chloe")), Ok(Place::Waiting(1)));
        assert_eq!(roster.register(trainee("dimitris")), Ok(Place::Waiting(2)));
        assert_eq!(registered(&roster), ["anna", "babis"]);
        assert_eq!(waiting(&roster), ["chloe", "dimitris"]);
    }

    #[test]
    fn no_one_twice() {
        let mut roster = full_roster();
        let before = roster.clone();
        assert_eq!(
            roster.register(trainee("anna")),
            Err(RosterError::AlreadyRegistered(trainee("anna")))
        );
        assert_eq!(
            roster.register(trainee("dimitris")),
            Err(RosterError::AlreadyWaiting {
                trainee: trainee("dimitris"),
                position: 2,
            })
        );
        assert_eq!(roster, before);
    }

    #[test]
    fn cancelling_a_place_promotes_the_first_waiting() {
        let mut roster = full_roster();
        assert_eq!(
            roster.cancel(&trainee("anna")),
            Ok(Cancellation {
                was: Place::Registered,
                promoted: Some(trainee("chloe")),
            })
        );
        assert_eq!(registered(&roster), ["babis", "chloe"]);
        assert_eq!(waiting(&roster), ["dimitris"]);
        assert_eq!(roster.place(&trainee("dimitris")), Some(Place::Waiting(1)));
    }

    #[test]
    fn cancelling_from_the_waiting_list_promotes_no_one() {
        let mut roster = full_roster();
        assert_eq!(
            roster.cancel(&trainee("chloe")),
            Ok(Cancellation {
                was: Place::Waiting(1),
                promoted: None,
            })
        );
        assert_eq!(registered(&roster), ["anna", "babis"]);
        assert_eq!(waiting(&roster), ["dimitris"]);
    }

    #[test]
    fn cancelling_with_nobody_waiting_frees_the_place() {
        let mut roster = SessionRoster::new(3).expect("valid");
        roster.register(trainee("anna")).expect("new");
        let cancellation = roster.cancel(&trainee("anna")).expect("on roster");
        assert_eq!(cancellation.promoted, None);
        assert_eq!(roster.places_left(), 3);
        assert_eq!(
            roster.cancel(&trainee("anna")),
            Err(RosterError::NotOnRoster(trainee("anna")))
        );
    }

    #[test]
    fn raising_capacity_promotes_in_order() {
        let mut roster = full_roster();
        assert_eq!(
            roster.set_capacity(5),
            Ok(vec![trainee("chloe"), trainee("dimitris")])
        );
        assert_eq!(roster.places_left(), 1);
        assert_eq!(
            roster.set_capacity(3),
            Err(RosterError::CapacityBelowRegistered { registered: 4 })
        );
        assert_eq!(roster.set_capacity(0), Err(RosterError::ZeroCapacity));
        assert_eq!(roster.set_capacity(4), Ok(Vec::new()));
    }

    #[test]
    fn stored_rosters_are_checked() {
        assert_eq!(SessionRoster::new(0), Err(RosterError::ZeroCapacity));
        assert_eq!(
            SessionRoster::from_parts(2, vec![trainee("a")], vec![trainee("a")]),
            Err(RosterError::Duplicate(trainee("a")))
        );
        assert_eq!(
            SessionRoster::from_parts(1, vec![trainee("a"), trainee("b")], Vec::new()),
            Err(RosterError::OverCapacity)
        );
        assert_eq!(
            SessionRoster::from_parts(2, vec![trainee("a")], vec![trainee("b")]),
            Err(RosterError::WaitingWithFreePlaces)
        );
        assert!(SessionRoster::from_parts(1, vec![trainee("a")], vec![trainee("b")]).is_ok());
    }

    #[derive(Debug, Clone)]
    enum Operation {
        Register(u8),
        Cancel(u8),
        SetCapacity(usize),
    }

    fn operation() -> impl Strategy<Value = Operation> {
        prop_oneof![
            4 => (0u8..8).prop_map(Operation::Register),
            3 => (0u8..8).prop_map(Operation::Cancel),
            1 => (1usize..6).prop_map(Operation::SetCapacity),
        ]
    }

    proptest! {
        #[test]
        fn roster_matches_a_simple_model(
            capacity in 1usize..5,
            operations in proptest::collection::vec(operation(), 0..60),
        ) {
            let mut roster = SessionRoster::new(capacity).expect("valid");
            // The model: everyone in joining order; the first `capacity`
            // hold the places.
            let mut model_capacity = capacity;
            let mut model: Vec<TraineeId> = Vec::new();

            for operation in operations {
                match operation {
                    Operation::Register(number) => {
                        let id = trainee(&format!("t{number}"));
                        let result = roster.register(id.clone());
                        prop_assert_eq!(result.is_ok(), !model.contains(&id));
                        if result.is_ok() {
                            model.push(id);
                        }
                    }
                    Operation::Cancel(number) => {
                        let id = trainee(&format!("t{number}"));
                        let result = roster.cancel(&id);
                        let index = model.iter().position(|held| *held == id);
                        prop_assert_eq!(result.is_ok(), index.is_some());
                        if let (Ok(cancellation), Some(index)) = (result, index) {
                            let expected = (index < model_capacity)
                                .then(|| model.get(model_capacity).cloned())
                                .flatten();
                            prop_assert_eq!(cancellation.promoted, expected);
                            model.remove(index);
                        }
                    }
                    Operation::SetCapacity(new_capacity) => {
                        let holding = model.len().min(model_capacity);
                        let result = roster.set_capacity(new_capacity);
                        prop_assert_eq!(result.is_ok(), new_capacity >= holding);
                        if result.is_ok() {
                            model_capacity = new_capacity;
                        }
                    }
                }

                // The waiting list is the model's tail, in order. The
                // registered are the model's first `capacity` entries in any
                // order, because a promoted trainee is added at the end.
                let mut all: Vec<&TraineeId> = roster.registered().iter().collect();
                all.extend(roster.waiting());
                let distinct: BTreeSet<&TraineeId> = all.iter().copied().collect();
                prop_assert_eq!(distinct.len(), all.len());
                prop_assert!(roster.registered().len() <= roster.capacity());
                prop_assert!(roster.waiting().len() == 0 || roster.places_left() == 0);
                let expected_waiting: Vec<&TraineeId> = model.iter().skip(model_capacity).collect();
                let actual_waiting: Vec<&TraineeId> = roster.waiting().collect();
                prop_assert_eq!(actual_waiting, expected_waiting);
                let mut expected_registered: Vec<&TraineeId> = model.iter().take(model_capacity).collect();
                let mut actual_registered: Vec<&TraineeId> = roster.registered().iter().collect();
                expected_registered.sort();
                actual_registered.sort();
                prop_assert_eq!(actual_registered, expected_registered);
            }
        }
    }
}
