package oktasim

import (
	"encoding/json"
	"io"
	"net/http"
)

// faultRoutes registers the runtime fault API beside the other /_oktasim
// inspection routes (no authentication, outside the Okta API):
//
//	GET    /_oktasim/faults       the faults, with their hits
//	POST   /_oktasim/faults       inject a fault (JSON Fault); 201 {"id": …}
//	DELETE /_oktasim/faults       remove every fault
//	DELETE /_oktasim/faults/{id}  remove one fault
func (o *Org) faultRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_oktasim/faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, o.Faults())
	})
	mux.HandleFunc("POST /_oktasim/faults", o.servePostFault)
	mux.HandleFunc("DELETE /_oktasim/faults", func(w http.ResponseWriter, _ *http.Request) {
		o.ClearFaults()
		writeNoContent(w)
	})
	mux.HandleFunc("DELETE /_oktasim/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !o.RemoveFault(r.PathValue("id")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no fault " + r.PathValue("id")})
			return
		}
		writeNoContent(w)
	})
}

func (o *Org) servePostFault(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	var f Fault
	if err := json.Unmarshal(body, &f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "fault: " + err.Error()})
		return
	}
	id, err := o.faults.add(f)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}
